/** Slack incoming webhook: one JSON POST per message. axios loads on first use so importing this stays cheap. */
import { ChannelNotConfiguredError } from "./alerter";

export interface SlackOptions {
  timeoutMs?: number;
}

export class SlackError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "SlackError";
  }
}

/**
 * Rejects with a SlackError on anything but a 2xx, and with ChannelNotConfiguredError when the URL is empty; the
 * webhook URL (a secret) never appears in the error.
 */
export async function postSlackMessage(webhookUrl: string, text: string, options: SlackOptions = {}): Promise<void> {
  if (webhookUrl.trim() === "") throw new ChannelNotConfiguredError("slack");
  if (!/^https:\/\//.test(webhookUrl)) throw new SlackError("slack webhook url is not an https URL");
  const { default: axios } = await import("axios");
  let status: number;
  try {
    const res = await axios.post(webhookUrl, { text }, {
      timeout: options.timeoutMs ?? 5_000,
      maxRedirects: 0,
      headers: { "Content-Type": "application/json" },
      validateStatus: () => true,
    });
    status = res.status;
  } catch (err) {
    throw new SlackError(`slack webhook unreachable: ${err instanceof Error && "code" in err ? String(err.code) : "network error"}`);
  }
  if (status < 200 || status >= 300) throw new SlackError(`slack webhook answered ${status}`, status);
}
