// The daemon's metrics and event lines, from its instance facts.
import { describe, expect, it } from 'vitest';
import { daemonMetrics, transitionEvent, type InstanceFacts } from '../../src/service/daemon-metrics.js';

const I: InstanceFacts = {
  name: 'VI_51', vrid: 51, family: 4, interface: 'eth0', state: 'BACKUP', effectivePriority: 90, transitions: 2,
  advertsSent: 10, advertsReceived: 300, drops: { auth: 4 },
};

describe('daemonMetrics', () => {
  it('vrrpwatch_instance_state is a StateSet: one series per state, 1 for the current one', () => {
    const state = daemonMetrics([I], { version: '1', nodejs: '20' }).find((f) => f.name === 'vrrpwatch_instance_state');
    expect(state?.samples).toEqual([
      { labels: { instance: 'VI_51', vrid: '51', state: 'initialize' }, value: 0 },
      { labels: { instance: 'VI_51', vrid: '51', state: 'backup' }, value: 1 },
      { labels: { instance: 'VI_51', vrid: '51', state: 'master' }, value: 0 },
      { labels: { instance: 'VI_51', vrid: '51', state: 'fault' }, value: 0 },
    ]);
  });

  it('priority, transitions, adverts, and every drop reason with 0 for those not seen (never the demultiplexing one)', () => {
    const fs = daemonMetrics([I, { ...I, name: 'VI_52', vrid: 52, state: 'MASTER' }], { version: '1', nodejs: '20' });
    const get = (name: string, labels: Record<string, string>) =>
      fs.find((f) => f.name === name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(get('vrrpwatch_instance_effective_priority', { instance: 'VI_51' })).toBe(90);
    expect(get('vrrpwatch_instance_transitions_total', { instance: 'VI_51' })).toBe(2);
    expect(get('vrrpwatch_instance_adverts_sent_total', { instance: 'VI_51' })).toBe(10);
    expect(get('vrrpwatch_instance_adverts_received_total', { instance: 'VI_51' })).toBe(300);
    expect(get('vrrpwatch_instance_adverts_dropped_total', { instance: 'VI_51', reason: 'auth' })).toBe(4);
    expect(get('vrrpwatch_instance_adverts_dropped_total', { instance: 'VI_51', reason: 'ttl' })).toBe(0);
    expect(get('vrrpwatch_instance_adverts_dropped_total', { reason: 'not-ours' })).toBeUndefined();
    expect(get('vrrpwatch_instance_state', { instance: 'VI_52', state: 'master' })).toBe(1);
  });

  it('a state change as an event line shaped like watch --json\'s', () => {
    expect(transitionEvent(I, { from: 'MASTER', to: 'BACKUP', reason: 'higher-priority' }, 90, '2026-11-22T10:00:00.000000Z')).toEqual({
      time: '2026-11-22T10:00:00.000000Z', type: 'state-change', severity: 'info', vrid: 51, family: 'ipv4', interface: 'eth0', vlan: null,
      instance: 'VI_51', from: 'master', to: 'backup', reason: 'higher-priority', priority: 90,
      message: 'VI_51 (VRID 51 on eth0): MASTER -> BACKUP (higher-priority), priority 90',
    });
  });
});
