// Test target for insecure-tls.yaml (TypeScript).
import { Agent } from "undici";

// ruleid: bastion.javascript.insecure-tls
export const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
// ok: bastion.javascript.insecure-tls
export const strictDispatcher = new Agent({ connect: { rejectUnauthorized: true } });

export function enforceVerification(): void {
  // ok: bastion.javascript.insecure-tls
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
}

export function disableVerification(): void {
  // ruleid: bastion.javascript.insecure-tls
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
}
