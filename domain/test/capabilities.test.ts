/**
 * Every role against every action. The cases are generated from the capability table, and each is checked
 * against the explicit expectations below, written out by hand: changing the table without changing this
 * matrix (or the other way round) fails, and so does an action that is in one and not the other.
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, CAPABILITIES, NETWORK_ROLES, SPACE_ROLES, can, capabilitiesOf } from '../src/index.js';
import type { Action, Actor, NetworkRole, SpaceRole } from '../src/index.js';

type NetworkRow = Record<NetworkRole, boolean>;
/**
 * One string per network role; its five characters are the space roles
 * [none, owner, editor, commenter, viewer]: `x` allowed, `.` refused.
 */
type SpaceRow = Record<NetworkRole, string>;

const y = true;
const n = false;

const NETWORK_EXPECTATIONS: Record<string, NetworkRow> = {
  'admin.applications.review': { staff: y, member: n, affiliate: n },
  'admin.members.manage': { staff: y, member: n, affiliate: n },
  'admin.organisations.manage': { staff: y, member: n, affiliate: n },
  'admin.invitations.manage': { staff: y, member: n, affiliate: n },
  'admin.audit.read': { staff: y, member: n, affiliate: n },
  'admin.outbox.read': { staff: y, member: n, affiliate: n },
  'admin.spaces.read': { staff: y, member: n, affiliate: n },
  'account.profile.edit': { staff: y, member: y, affiliate: y },
  'account.password.change': { staff: y, member: y, affiliate: y },
  'directory.read': { staff: y, member: y, affiliate: n },
  'directory.contacts.read': { staff: y, member: y, affiliate: n },
  'news.read': { staff: y, member: y, affiliate: y },
  'news.publish': { staff: y, member: n, affiliate: n },
  'announcements.read': { staff: y, member: y, affiliate: n },
  'announcements.post': { staff: y, member: n, affiliate: n },
  'space.create': { staff: y, member: n, affiliate: n },
  'channel.network.read': { staff: y, member: y, affiliate: n },
  'channel.network.write': { staff: y, member: y, affiliate: n },
  'channel.network.moderate': { staff: y, member: n, affiliate: n },
  'channel.direct.write': { staff: y, member: y, affiliate: n },
};

//                                    none/owner/editor/commenter/viewer
const SPACE_EXPECTATIONS: Record<string, SpaceRow> = {
  'space.read': /*                 */ { staff: '.xxxx', member: '.xxxx', affiliate: '.....' },
  'space.settings.edit': /*        */ { staff: 'xxxxx', member: '.x...', affiliate: '.....' },
  'space.members.manage': /*       */ { staff: 'xxxxx', member: '.x...', affiliate: '.....' },
  'space.archive': /*              */ { staff: 'xxxxx', member: '.x...', affiliate: '.....' },
  'space.restore': /*              */ { staff: 'xxxxx', member: '.....', affiliate: '.....' },
  'space.leave': /*                */ { staff: '.xxxx', member: '.xxxx', affiliate: '.....' },
  'space.document.read': /*        */ { staff: '.xxxx', member: '.xxxx', affiliate: '.....' },
  'space.document.create': /*      */ { staff: '.xx..', member: '.xx..', affiliate: '.....' },
  'space.document.edit': /*        */ { staff: '.xx..', member: '.xx..', affiliate: '.....' },
  'space.document.comment': /*     */ { staff: '.xxx.', member: '.xxx.', affiliate: '.....' },
  'space.document.restore': /*     */ { staff: '.xx..', member: '.xx..', affiliate: '.....' },
  'space.document.delete': /*      */ { staff: '.x...', member: '.x...', affiliate: '.....' },
  'space.document.export': /*      */ { staff: '.xxxx', member: '.xxxx', affiliate: '.....' },
  'channel.read': /*               */ { staff: '.xxxx', member: '.xxxx', affiliate: '.....' },
  'channel.write': /*              */ { staff: '.xxx.', member: '.xxx.', affiliate: '.....' },
  'channel.moderate': /*           */ { staff: 'xxxxx', member: '.x...', affiliate: '.....' },
  'channel.create': /*             */ { staff: '.xx..', member: '.xx..', affiliate: '.....' },
};

const SPACE_COLUMNS: readonly (SpaceRole | null)[] = [null, ...SPACE_ROLES];

function actor(networkRole: NetworkRole, disabled = false): Actor {
  return { userId: `user-${networkRole}`, networkRole, disabled };
}

describe('the expectations matrix matches the table', () => {
  it('names every action of the table exactly once, in the right scope', () => {
    const networkActions = ACTIONS.filter((a) => CAPABILITIES[a].scope === 'network');
    const spaceActions = ACTIONS.filter((a) => CAPABILITIES[a].scope === 'space');
    expect(Object.keys(NETWORK_EXPECTATIONS).sort()).toEqual([...networkActions].sort());
    expect(Object.keys(SPACE_EXPECTATIONS).sort()).toEqual([...spaceActions].sort());
  });

  it('writes each space row with one character per space column', () => {
    for (const row of Object.values(SPACE_EXPECTATIONS)) {
      for (const role of NETWORK_ROLES) expect(row[role]).toMatch(/^[x.]{5}$/);
    }
  });
});

type Case = {
  action: Action;
  networkRole: NetworkRole;
  spaceRole: SpaceRole | null | undefined;
  expected: boolean;
};

function cases(): Case[] {
  const out: Case[] = [];
  for (const action of ACTIONS) {
    for (const networkRole of NETWORK_ROLES) {
      if (CAPABILITIES[action].scope === 'network') {
        const row = NETWORK_EXPECTATIONS[action];
        out.push({ action, networkRole, spaceRole: undefined, expected: row?.[networkRole] ?? false });
      } else {
        const row = SPACE_EXPECTATIONS[action]?.[networkRole] ?? '';
        SPACE_COLUMNS.forEach((spaceRole, i) => {
          out.push({ action, networkRole, spaceRole, expected: row[i] === 'x' });
        });
      }
    }
  }
  return out;
}

describe('can(): every enabled network role against every action', () => {
  it.each(cases())('$networkRole / space role $spaceRole: $action → $expected', (c) => {
    const resource = c.spaceRole === undefined ? undefined : { spaceRole: c.spaceRole };
    expect(can(actor(c.networkRole), c.action, resource)).toBe(c.expected);
  });
});

describe('can(): who can do nothing', () => {
  it.each(cases())('anonymous and disabled $networkRole / $spaceRole: $action → false', (c) => {
    const resource = { spaceRole: c.spaceRole ?? null };
    expect(can(null, c.action, resource)).toBe(false);
    expect(can(actor(c.networkRole, true), c.action, resource)).toBe(false);
  });
});

describe('can(): boundaries', () => {
  it('refuses a space action without the space it is about, even to staff', () => {
    for (const action of ACTIONS.filter((a) => CAPABILITIES[a].scope === 'space')) {
      for (const role of NETWORK_ROLES) expect(can(actor(role), action)).toBe(false);
    }
  });

  it('ignores a resource on network actions', () => {
    expect(can(actor('member'), 'admin.audit.read', { spaceRole: 'owner' })).toBe(false);
    expect(can(actor('staff'), 'admin.audit.read', { spaceRole: null })).toBe(true);
  });

  it('refuses actions and roles that are not in the table (values that came over the wire)', () => {
    expect(can(actor('staff'), 'admin.everything' as Action)).toBe(false);
    expect(can(actor('staff'), 'toString' as Action)).toBe(false);
    expect(can(actor('staff'), '__proto__' as Action)).toBe(false);
    const forged = { userId: 'u', networkRole: 'root' as NetworkRole, disabled: false };
    expect(can(forged, 'admin.audit.read')).toBe(false);
    expect(can(actor('member'), 'space.read', { spaceRole: 'admin' as SpaceRole })).toBe(false);
  });

  it('lists the network capabilities of a role', () => {
    expect(capabilitiesOf(actor('affiliate'))).toEqual([
      'account.profile.edit',
      'account.password.change',
      'news.read',
    ]);
    expect(capabilitiesOf(null)).toEqual([]);
  });
});
