import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { caseDetail } from '../../../../handlers/cases/index.js';
import type { Attachment } from '../../../../models/intake.js';
import { NotFoundError } from '../../../errors.js';
import { positiveId } from '../../../http/input.js';
import { requireCaseScope } from '../../../http/principal.js';
import type { ConsoleDeps } from '../../deps.js';
import { errorPage } from '../../errors.js';
import { parseParams } from '../../form.js';
import { keyOf } from './show.js';

const params = z.object({
  key: z.string(),
  message: positiveId,
  n: z
    .string()
    .regex(/^(?:0|[1-9][0-9]{0,2})$/)
    .transform(Number),
});
const MIME = /^[a-z]+\/[a-z0-9.+-]{1,100}$/i;
const FALLBACK_MIME: Partial<Record<Attachment['type'], string>> = {
  photo: 'image/jpeg',
  voice: 'audio/ogg',
  video: 'video/mp4',
  sticker: 'image/webp',
};

/**
 * A citizen's file, opened from the case card: whoever may see the case may open its files. Telegram
 * keeps the file (the message stores its file id); the Bot API's getFile gives it, at most 20 MB.
 * Other messengers' attachments are listed without a link (docs/known-limits.md).
 */
export function attachmentPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/cases/:key/attachments/:message/:n', async (request, reply) => {
    const p = parseParams(params, request.params);
    const c = await caseDetail(deps.query(), keyOf(request));
    if (!c) throw new NotFoundError('case');
    requireCaseScope(request, c.department);
    const m = c.messages.find((x) => x.id === p.message);
    const a = m?.attachments[p.n] as Partial<Attachment> | undefined;
    if (!m || !a || m.channel !== 'telegram' || !a.fileId) throw new NotFoundError('attachment');
    const read = deps.telegramFile?.() ?? null;
    if (!read) return errorPage(reply, request, deps, 503, 'Telegram-бот не подключён в этом экземпляре: файл открыть нельзя.');
    let bytes: Buffer;
    try {
      bytes = await read(a.fileId);
    } catch (err) {
      request.log.warn({ err, messageId: m.id }, 'console: a Telegram attachment could not be read');
      return errorPage(reply, request, deps, 502, 'Telegram не отдал файл (он мог устареть или быть больше 20 МБ).');
    }
    const type =
      a.mimeType && MIME.test(a.mimeType) ? a.mimeType : (FALLBACK_MIME[a.type ?? 'other'] ?? 'application/octet-stream');
    const inline = /^image\/(?:jpeg|png|gif|webp)$/i.test(type);
    const name = a.name ?? `${a.type ?? 'file'}-${m.id}-${p.n}`;
    const ascii = name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'file';
    return (
      reply
        .header('content-type', type)
        .header(
          'content-disposition',
          `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .header('x-content-type-options', 'nosniff')
        // A citizen's file is untrusted: never run as a page of the console.
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(bytes)
    );
  });
}
