import jwt from 'jsonwebtoken';

export interface SessionClaims {
  sub: string;
  org: string;
  roles: string[];
}

const TOKEN_TTL_SECONDS = 60 * 60;

function signingSecret(): string {
  const secret = process.env.JWT_SIGNING_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error('JWT_SIGNING_SECRET must be set to at least 32 characters');
  }
  return secret;
}

export function issueToken(claims: SessionClaims): string {
  return jwt.sign(claims, signingSecret(), { algorithm: 'HS256', expiresIn: TOKEN_TTL_SECONDS });
}

export function verifyToken(token: string): SessionClaims {
  return jwt.verify(token, signingSecret(), { algorithms: ['HS256'] }) as SessionClaims;
}
