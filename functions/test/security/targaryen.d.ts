/** The slice of targaryen (untyped CommonJS) the rules tests use. */
declare module "targaryen" {
  interface Result {
    allowed: boolean;
    info: string;
  }
  interface Database {
    as(auth: object | null): Database;
    with(options: { debug?: boolean }): Database;
    read(path: string): Result;
    write(path: string, value: unknown): Result;
    update(path: string, patch: Record<string, unknown>): Result;
  }
  export function database(rules: object, data?: unknown): Database;
}
