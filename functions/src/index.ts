export { api } from "./http/apiFunction";
