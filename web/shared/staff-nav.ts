import { h } from './dom.js';

/**
 * The header nav and the login check every staff page shares (console, statistics, gaps, review).
 *
 * Usage in a staff page (link `/assets/shared/staff-nav.css` next to base.css):
 *
 *   renderStaffNav('dashboard');            // into #staff-nav if the page has one, else its <header>
 *   const staff = await requireStaffLogin(); // null: the page was replaced by the login prompt
 *   if (!staff) return;
 *
 * and when a later staff API call answers 401 (the session expired): `showLoginPrompt()`.
 */

export type StaffPage = 'console' | 'dashboard' | 'gaps' | 'review';

export interface SignedInOfficer {
  username: string;
  displayName: string;
  role: 'officer' | 'supervisor';
}

/** The staff pages in nav order (labels as the Center names them). */
export const STAFF_PAGES: ReadonlyArray<{ page: StaffPage; href: string; label: string }> = [
  { page: 'console', href: '/console', label: 'Bảng điều khiển' },
  { page: 'dashboard', href: '/dashboard', label: 'Thống kê' },
  { page: 'gaps', href: '/dashboard/gaps', label: 'Chưa trả lời được' },
  { page: 'review', href: '/review', label: 'Duyệt câu trả lời' },
];

const NAV_ID = 'staff-nav';

/**
 * Builds the staff nav (the current page marked `aria-current="page"`) and puts it into the
 * page: the children of `#staff-nav` when present, else appended to the first `<header>`, else
 * at the top of `<body>`. Calling it again replaces the previous nav.
 */
export function renderStaffNav(current: StaffPage): HTMLElement {
  const nav = h(
    'nav',
    { class: 'staff-nav', 'aria-label': 'Trang dành cho cán bộ' },
    h(
      'ul',
      {},
      ...STAFF_PAGES.map(({ page, href, label }) =>
        h('li', {}, h('a', { href, 'aria-current': page === current ? 'page' : undefined }, label)),
      ),
    ),
    h('span', { class: 'staff-nav-who', hidden: true }),
    h('button', { type: 'button', class: 'staff-nav-logout', hidden: true }, 'Đăng xuất'),
  );
  nav.querySelector('.staff-nav-logout')?.addEventListener('click', () => void logout());

  const slot = document.getElementById(NAV_ID);
  if (slot) {
    slot.replaceChildren(nav);
  } else {
    document.querySelector(`nav.staff-nav`)?.remove();
    const header = document.querySelector('header');
    if (header) header.append(nav);
    else document.body.prepend(nav);
  }
  return nav;
}

/**
 * Who is signed in, from `/api/v1/console/me`. On 401 the page body becomes the login prompt and
 * the answer is null; on a network or server failure the body becomes an error message with a
 * reload link and the answer is null too, so a page only continues with an officer in hand.
 */
export async function requireStaffLogin(): Promise<SignedInOfficer | null> {
  let res: Response;
  try {
    res = await fetch('/api/v1/console/me', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    showPageProblem('Không kết nối được máy chủ.');
    return null;
  }
  if (res.status === 401) {
    showLoginPrompt();
    return null;
  }
  if (!res.ok) {
    showPageProblem(`Máy chủ đang gặp sự cố (mã ${res.status}).`);
    return null;
  }
  const body = (await res.json().catch(() => ({}))) as { staff?: { username?: string; name?: string; role?: string } };
  const staff = body.staff;
  const officer: SignedInOfficer = {
    username: staff?.username ?? '',
    displayName: staff?.name ?? staff?.username ?? '',
    role: staff?.role === 'supervisor' ? 'supervisor' : 'officer',
  };
  showWho(officer);
  return officer;
}

/**
 * Replaces the page with "Vui lòng đăng nhập" and a link to the console's login (also for a
 * staff API call that answers 401 later, when the session has expired).
 */
export function showLoginPrompt(): void {
  const back = `${location.pathname}${location.search}`;
  replaceBody(
    h(
      'section',
      { class: 'card staff-login-prompt', role: 'alert', 'aria-labelledby': 'staff-login-title' },
      h('h1', { id: 'staff-login-title' }, 'Vui lòng đăng nhập'),
      h('p', {}, 'Trang này chỉ dành cho cán bộ của Trung tâm. Anh/chị hãy đăng nhập ở bảng điều khiển, rồi mở lại trang.'),
      h('p', {}, h('a', { href: '/console', class: 'staff-login-link', 'data-return': back }, 'Đăng nhập tại bảng điều khiển')),
    ),
  );
}

function showPageProblem(message: string): void {
  replaceBody(
    h(
      'section',
      { class: 'card staff-login-prompt', role: 'alert' },
      h('h1', {}, 'Không tải được trang'),
      h('p', {}, `${message} Vui lòng thử lại sau.`),
      h('p', {}, h('a', { href: `${location.pathname}${location.search}` }, 'Tải lại trang')),
    ),
  );
}

function replaceBody(content: HTMLElement): void {
  document.body.replaceChildren(h('main', { class: 'staff-login-main' }, content));
  content.querySelector('h1')?.setAttribute('tabindex', '-1');
  content.querySelector<HTMLElement>('h1')?.focus();
}

function showWho(officer: SignedInOfficer): void {
  const who = document.querySelector<HTMLElement>('nav.staff-nav .staff-nav-who');
  const out = document.querySelector<HTMLButtonElement>('nav.staff-nav .staff-nav-logout');
  if (who) {
    who.textContent = `${officer.displayName} (${officer.role === 'supervisor' ? 'giám sát' : 'cán bộ'})`;
    who.hidden = false;
  }
  if (out) out.hidden = false;
}

async function logout(): Promise<void> {
  // The CSRF header the staff API asks of every state-changing call.
  await fetch('/api/v1/console/logout', { method: 'POST', headers: { 'x-requested-with': 'console' }, credentials: 'same-origin' }).catch(() => undefined);
  showLoginPrompt();
}
