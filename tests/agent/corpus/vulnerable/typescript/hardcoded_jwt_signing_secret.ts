import jwt from 'jsonwebtoken';

export interface SessionClaims {
  sub: string;
  org: string;
  roles: string[];
}

const JWT_SECRET = 'nKH5X3Rh6OSUk2domPky9K9Br0asFo_e0ulrYgc7JNRhINpUvQyYjO7qgOJ68nI0';
const TOKEN_TTL_SECONDS = 60 * 60;

export function issueToken(claims: SessionClaims): string {
  return jwt.sign(claims, JWT_SECRET, { algorithm: 'HS256', expiresIn: TOKEN_TTL_SECONDS });
}

export function verifyToken(token: string): SessionClaims {
  return jwt.verify(token, JWT_SECRET, { algorithms: ['HS256'] }) as SessionClaims;
}
