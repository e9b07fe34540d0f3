// Test target for insecure-randomness.yaml (TypeScript).
export class TokenService {
  issueToken(userId: string): string {
    // ruleid: bastion.javascript.insecure-randomness
    const token: string = userId + Math.random().toString(36);
    return token;
  }

  issueSecureToken(): string {
    const bytes = new Uint8Array(32);
    // ok: bastion.javascript.insecure-randomness
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  shuffle<T>(items: T[]): T[] {
    // ok: bastion.javascript.insecure-randomness
    return items.sort(() => Math.random() - 0.5);
  }
}
