/**
 * Outgoing email through SMTP (nodemailer). In demo mode without SMTP, messages are written as
 * .eml files to an outbox folder in the data directory, so the whole journey can be tried offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Where demo mail is written, when it is. */
  outboxDir: string | null;
  close(): void;
}

export function createMailer(config: Config): Mailer {
  if (config.smtp.url) {
    const transport = nodemailer.createTransport(config.smtp.url);
    return {
      outboxDir: null,
      async send(message) {
        await transport.sendMail({ from: config.smtp.from, ...message });
      },
      close: () => transport.close(),
    };
  }
  const outboxDir = path.join(config.dataDir, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    outboxDir,
    async send(message) {
      const info = await transport.sendMail({ from: config.smtp.from, ...message });
      fs.mkdirSync(outboxDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(outboxDir, `${stamp}-${Math.random().toString(36).slice(2, 8)}.eml`);
      fs.writeFileSync(file, info.message as Buffer);
    },
    close: () => transport.close(),
  };
}
