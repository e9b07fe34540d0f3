import { createElement, ReactElement } from 'react';
import { useSearchParams } from 'next/navigation';

const FOOTER_HTML = '<small>&copy; Example Ltd</small>';

export function ProfileCard(): ReactElement {
  const searchParams = useSearchParams();
  const bio = searchParams.get('bio') ?? '';
  return createElement(
    'section',
    { className: 'profile-card' },
    createElement('p', { className: 'bio' }, bio),
    createElement('footer', { dangerouslySetInnerHTML: { __html: FOOTER_HTML } }),
  );
}

export function ProfileList(): ReactElement {
  return createElement(
    'div',
    { className: 'profile-list' },
    createElement(ProfileCard),
  );
}

export default ProfileList;
