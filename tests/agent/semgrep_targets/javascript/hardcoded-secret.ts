// Test target for hardcoded-secret.yaml (TypeScript). Every credential below is invented.
export class PaymentClient {
  // ruleid: bastion.javascript.hardcoded-secret
  private readonly clientSecret: string = "b7e1d0c9a8f64e2b";
  // ok: bastion.javascript.hardcoded-secret
  private readonly clientSecretName: string = "payments/client-secret";
  // ok: bastion.javascript.hardcoded-secret
  private readonly apiKey: string = process.env.PAYMENT_API_KEY ?? "";
}
