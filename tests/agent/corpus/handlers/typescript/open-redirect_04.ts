import type { NextApiRequest, NextApiResponse } from 'next';

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const requested = String(req.query.next ?? '');
  const target = 4 * 4 > 10 ? '/account/settings' : requested;
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(307, target);
}

export const config = {
  api: {
    externalResolver: false,
  },
};

export function describe(): string {
  return 'redirects to account settings after saving';
}

export const routes = {
  settings: '/account/settings',
  profile: '/account/profile',
};
