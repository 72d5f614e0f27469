import { describe, expect, it } from 'vitest';
import { linkChange, NO_LINK, type LinkSnapshot } from '../../src/daemon/link.js';

const up: LinkSnapshot = { exists: true, ifindex: 7, up: true, carrierChanges: 2 };

describe('linkChange: what the interface did between two looks', () => {
  it.each([
    ['nothing', up, up, { type: 'none' }],
    ['taken down', up, { ...up, up: false, carrierChanges: 3 }, { type: 'down' }],
    ['still down', { ...up, up: false }, { ...up, up: false }, { type: 'none' }],
    ['up again: the capture is reopened', { ...up, up: false }, up, { type: 'back', why: 'up again' }],
    ['a flap shorter than one look, seen by the carrier counter', up, { ...up, carrierChanges: 4 }, { type: 'back', why: 'flapped' }],
    ['deleted', up, NO_LINK, { type: 'gone' }],
    ['still gone', NO_LINK, NO_LINK, { type: 'none' }],
    ['re-created, not up yet', NO_LINK, { ...up, ifindex: 9, up: false }, { type: 'down' }],
    ['re-created and up', NO_LINK, { ...up, ifindex: 9 }, { type: 'back', why: 're-created' }],
    ['re-created between two looks (a new index)', up, { ...up, ifindex: 9 }, { type: 'back', why: 're-created' }],
  ] as const)('%s', (_, before, now, want) => {
    expect(linkChange(before, now)).toEqual(want);
  });
});
