import type { Api } from 'grammy';
import type { PhotoSource } from '../outbound/channel-port.js';

/** Max bytes of a file we copy to VK (Bot API downloads are capped at 20 MB anyway). */
const MAX_BYTES = 20 * 1024 * 1024;

/** Reads a file the bot received (an official's photo) by its file id, to send it on another platform. */
export function telegramFileSource(api: Pick<Api, 'getFile'>, telegram: { token: string; apiRoot: string }): PhotoSource {
  return async (fileId) => {
    const file = await api.getFile(fileId);
    if (!file.file_path) throw new Error('Telegram returned no file_path for the photo');
    // The file URL holds the bot token: it is never logged.
    const res = await fetch(`${telegram.apiRoot}/file/bot${telegram.token}/${file.file_path}`, {
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`Telegram file download failed: HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_BYTES) throw new Error(`photo too large to copy (${bytes.length} bytes)`);
    return bytes;
  };
}
