import { createCipheriv } from 'node:crypto';
import { writeFile } from 'node:fs/promises';

export interface ExportRecord {
  email: string;
  plan: string;
  seats: number;
}

function encryptionKey(): Buffer {
  const hex = process.env.EXPORT_ENCRYPTION_KEY;
  if (!hex) {
    throw new Error('EXPORT_ENCRYPTION_KEY is not set');
  }
  return Buffer.from(hex, 'hex');
}

export function encryptExport(plaintext: string): Buffer {
  const cipher = createCipheriv('aes-256-ecb', encryptionKey(), null);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
}

export async function writeEncryptedExport(records: ExportRecord[], destination: string): Promise<void> {
  const csv = ['email,plan,seats', ...records.map((r) => `${r.email},${r.plan},${r.seats}`)].join('\n');
  await writeFile(destination, encryptExport(csv), { mode: 0o600 });
}
