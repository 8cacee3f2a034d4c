import { createServer, type IncomingMessage, type Server } from 'node:http';

export const FAKE_BOT_TOKEN = '123456:fault-test-token-abcdefghijklmnopqrstu';

/**
 * A local Bot API that keeps updates the way Telegram does: getUpdates returns what is at or above
 * `offset` and forgets what is below it — so a poller that advances its offset before storing would
 * lose updates here, as it would with Telegram (the Bot API emulator marks updates read on fetch
 * instead). Every other method answers ok, with a message where one is expected.
 */
export class BotApiFake {
  readonly updates: Record<string, unknown>[] = [];
  readonly calls: string[] = [];
  #server: Server | null = null;
  #forgottenBelow = 0;
  port = 0;

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  push(update: Record<string, unknown>): void {
    this.updates.push(update);
  }

  /** Updates the poller has not confirmed yet (at or above the last offset it asked with). */
  unconfirmed(): number {
    return this.updates.filter((u) => Number(u.update_id) >= this.#forgottenBelow).length;
  }

  async start(): Promise<void> {
    this.#server = createServer(async (req, res) => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      const body = await readJson(req);
      this.calls.push(method);
      let result: unknown = true;
      if (method === 'getMe') result = { id: 123456, is_bot: true, first_name: 'МЦУ', username: 'mcu_fault_bot' };
      else if (method === 'getUpdates') {
        const offset = Number(body.offset ?? 0);
        this.#forgottenBelow = Math.max(this.#forgottenBelow, offset);
        const limit = Number(body.limit ?? 100);
        result = this.updates.filter((u) => Number(u.update_id) >= this.#forgottenBelow).slice(0, limit);
        if ((result as unknown[]).length === 0) await new Promise((r) => setTimeout(r, 50));
      } else if (method.startsWith('send')) {
        result = {
          message_id: this.calls.length,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(body.chat_id ?? 0), type: 'private' },
        };
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, result }));
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}
