import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../shared/errors';
import { CdError } from '../../../shared/errors';
import { fixture, fixtureNames } from './fixtures/load';
import { isSilentCommand, replyError } from './reply-errors';

/** Each captured error reply with the command that provoked it (see fixtures/capture.ts). */
const CAPTURED: Array<[file: string, command: string, code: ErrorCode, message: RegExp]> = [
  ['err-no-such-server.txt', 'set server app/nope state drain', 'SERVER_NOT_FOUND', /no server "nope" in backend "app"/],
  ['err-no-such-backend.txt', 'set server nope/web1 state drain', 'SERVER_NOT_FOUND', /no backend "nope"/],
  ['err-get-weight-no-server.txt', 'get weight app/nope', 'SERVER_NOT_FOUND', /no server "nope" in backend "app"/],
  ['err-servers-state-no-backend.txt', 'show servers state nope', 'SERVER_NOT_FOUND', /no backend "nope"/],
  ['err-show-stat-no-proxy.txt', 'show stat nope 6 -1', 'SERVER_NOT_FOUND', /no backend "nope"/],
  ['err-permission-denied.txt', 'set server app/web1 state drain', 'HAPROXY_PERMISSION', /level admin/],
  ['err-permission-denied-disable.txt', 'disable server app/web1', 'HAPROXY_PERMISSION', /level admin/],
  ['err-require-backend-server.txt', 'set server app state drain', 'HAPROXY_ERROR', /Require 'backend\/server'\./],
  ['err-bad-state.txt', 'set server app/web1 state bogus', 'HAPROXY_ERROR', /expects 'ready', 'drain' and 'maint'/],
  ['err-bad-health.txt', 'set server app/web1 health bogus', 'HAPROXY_ERROR', /expects 'up', 'stopping', or 'down'/],
  ['err-bad-agent.txt', 'set server app/web14 agent bogus', 'HAPROXY_ERROR', /agent' expects 'up' or 'down'/],
  ['err-agent-not-enabled.txt', 'set server app/web1 agent bogus', 'HAPROXY_ERROR', /agent checks are not enabled/],
  ['err-tracking-health.txt', 'set server app/web9 health up', 'HAPROXY_ERROR', /cannot change health on a tracking server/],
  ['err-health-not-configured.txt', 'enable health app/web3', 'HAPROXY_ERROR', /Health check was not configured/],
  ['err-agent-not-configured.txt', 'enable agent app/web1', 'HAPROXY_ERROR', /Agent was not configured/],
  ['err-absolute-weight.txt', 'set weight app/web1 300', 'HAPROXY_ERROR', /between 0 and 256 inclusive/],
  ['err-set-server-weight-range.txt', 'set server app/web1 weight 300', 'HAPROXY_ERROR', /between 0 and 256 inclusive/],
  ['err-static-weight.txt', 'set weight static/s1 50', 'HAPROXY_ERROR', /static LB algorithm/],
  ['err-already-exists.txt', 'add server hold/h1 127.0.0.1:9', 'HAPROXY_ERROR', /Already exists a server/],
  ['err-del-not-maint.txt', 'del server app/web1', 'HAPROXY_ERROR', /Only servers in maintenance mode/],
  ['err-del-referenced.txt', 'del server app/web8', 'HAPROXY_ERROR', /other configuration elements pointing to it/],
  ['err-del-has-connections.txt', 'del server hold/h1', 'HAPROXY_ERROR', /still has connections attached/],
  ['err-proxy-disabled.txt', 'set server dis/d1 state drain', 'HAPROXY_ERROR', /Proxy is disabled\./],
  ['err-unknown-command.txt', 'frobnicate the widgets', 'HAPROXY_ERROR', /does not know the command "frobnicate the widgets"/],
];

describe('replyError on the captured 2.6 replies', () => {
  it('covers every err-*.txt fixture', () => {
    expect(CAPTURED.map(([f]) => f).sort()).toEqual(fixtureNames(/^err-.*\.txt$/));
  });

  it.each(CAPTURED)('%s (%s) -> %s', (file, command, code, message) => {
    const e = replyError(command, fixture(file));
    expect(e).toBeInstanceOf(CdError);
    expect(e?.code).toBe(code);
    expect(e?.message).toMatch(message);
    expect(e?.details).toMatchObject({ command });
  });

  it('SERVER_NOT_FOUND carries backend and server', () => {
    expect(replyError('set server app/nope state drain', fixture('err-no-such-server.txt'))?.details).toMatchObject({ backend: 'app', server: 'nope' });
    expect(replyError('show servers state nope', fixture('err-servers-state-no-backend.txt'))?.details).toMatchObject({ backend: 'nope', server: null });
  });

  it('the unknown-command message quotes the first line, not the help list', () => {
    const e = replyError('frobnicate the widgets', fixture('err-unknown-command.txt'));
    expect(e?.message).toContain('Unknown command, but maybe one of the following ones is a better match:');
    expect(e?.message).not.toContain('disable frontend');
    expect(String(e?.details?.['reply'])).toContain('disable frontend');
  });

  /** Captured successful replies; silent ones are exactly "\n". */
  const OK: Array<[file: string, command: string, silent: boolean]> = [
    ['ok-set-weight.txt', 'set server app/web1 weight 10', true],
    ['ok-set-state-ready.txt', 'set server app/web7 state ready', true],
    ['ok-set-weight-abs.txt', 'set weight app/web1 10', true],
    ['ok-set-server-health.txt', 'set server app/web1 health up', true],
    ['ok-set-server-agent.txt', 'set server app/web14 agent up', true],
    ['ok-disable-health.txt', 'disable health app/web1', true],
    ['ok-enable-health.txt', 'enable health app/web1', true],
    ['ok-disable-agent.txt', 'disable agent app/web14', true],
    ['ok-disable-server.txt', 'disable server app/web1', true],
    ['ok-enable-server.txt', 'enable server app/web1', true],
    ['ok-set-maxconn-server.txt', 'set maxconn server app/web1 100', true],
    ['ok-shutdown-sessions.txt', 'shutdown sessions server hold/h1', true],
    ['ok-clear-counters.txt', 'clear counters', true],
    ['ok-set-h2-maint.txt', 'set server hold/h2 state maint', true],
    ['ok-shutdown-frontend.txt', 'shutdown frontend fe', true],
    ['ok-add-server.txt', 'add server hold/h2 127.0.0.1:9', false],
    ['ok-set-server-addr.txt', 'set server hold/h2 addr 127.0.0.1 port 9', false],
    ['ok-del-server.txt', 'del server hold/h2', false],
  ];

  it('covers every ok-*.txt fixture', () => {
    expect(OK.map(([f]) => f).sort()).toEqual(fixtureNames(/^ok-.*\.txt$/));
  });

  it.each(OK)('a success (%s: %s) is no error', (file, command, silent) => {
    expect(isSilentCommand(command)).toBe(silent);
    if (silent) expect(fixture(file)).toBe('\n');
    else expect(fixture(file).trim()).not.toBe('');
    expect(replyError(command, fixture(file))).toBeNull();
  });

  it.each([
    ['show stat', 'show-stat.txt'],
    ['show stat app 6 -1', 'show-stat-app-6.txt'],
    ['show servers state', 'show-servers-state.txt'],
    ['show servers state app', 'show-servers-state-app.txt'],
    ['show info', 'show-info.txt'],
  ])('real output of "%s" is no error', (command, file) => {
    expect(replyError(command, fixture(file))).toBeNull();
  });
});

describe('replyError on other wordings', () => {
  it.each([
    "Unknown command: 'frobnicate'. Please enter one of the following commands only:\n  help : this message\n",
    'Unknown command. Please enter one of the following commands only:\n  clear counters : clear max statistics counters\n',
    'Unknown command, but maybe one of the following ones is a better match:\n',
  ])('every "Unknown command" variant is HAPROXY_ERROR, for show commands too: %j', (reply) => {
    expect(replyError('show frobs', reply)?.code).toBe('HAPROXY_ERROR');
    expect(replyError('set server app/web1 state drain', reply)?.code).toBe('HAPROXY_ERROR');
  });

  it('known errors count for non-silent commands; unknown text does not', () => {
    expect(replyError('show servers state', 'Permission denied\n')?.code).toBe('HAPROXY_PERMISSION');
    expect(replyError('show stat', 'No such proxy.\n')?.code).toBe('SERVER_NOT_FOUND');
    expect(replyError('show info', 'Something unexpected\n')).toBeNull();
    expect(replyError('add server hold/h2 127.0.0.1:80', 'New server registered.\n')).toBeNull();
    expect(replyError('del server hold/h2', 'Server deleted.\n')).toBeNull();
    expect(replyError('set server app/web1 addr 10.0.0.1', "IP changed from '127.0.0.1' to '10.0.0.1' by 'stats socket command'\n")).toBeNull();
  });

  it('any text in reply to a silent command is an error quoting it', () => {
    const e = replyError('set server app/web1 state drain', 'Something new went wrong.\n\n');
    expect(e?.code).toBe('HAPROXY_ERROR');
    expect(e?.message).toContain('"Something new went wrong."');
    expect(e?.message).toMatch(/prints nothing on success/);
    const long = replyError('disable server app/web1', `${'y'.repeat(500)}\n`);
    expect(long?.message.length).toBeLessThan(320);
  });

  it('an empty or blank reply is no error', () => {
    for (const r of ['', '\n', '\n\n', '  \n']) expect(replyError('set server app/web1 state drain', r)).toBeNull();
  });

  it('matches the first line exactly: an error string inside show output is not an error', () => {
    const stat = '# pxname,svname,last_chk,\napp,web1,Permission denied,\napp,web2,No such server.,\n\n';
    expect(replyError('show stat', stat)).toBeNull();
    expect(replyError('set server app/web1 state drain', 'No such server. (really)\n')?.code).toBe('HAPROXY_ERROR');
  });

  it('tolerates extra whitespace in the command', () => {
    const e = replyError('  set   server  app/nope state drain ', 'No such server.\n');
    expect(e?.details).toMatchObject({ command: 'set server app/nope state drain', backend: 'app', server: 'nope' });
  });
});

describe('isSilentCommand', () => {
  it.each([
    'set server app/web1 state drain',
    'set server app/web1 state ready',
    'set server app/web1 state maint',
    'set server app/web1 health up',
    'set server app/web1 agent down',
    'set server app/web1 weight 50',
    'set weight app/web1 50%',
    'set maxconn server app/web1 100',
    'enable server app/web1',
    'disable server app/web1',
    'enable health app/web1',
    'disable agent app/web1',
    'enable frontend fe',
    'shutdown sessions server app/web1',
    'shutdown session 0x55d1',
    'clear counters all',
    '  set   server app/web1 state drain',
  ])('silent: %s', (c) => expect(isSilentCommand(c)).toBe(true));

  it.each([
    'show stat',
    'show servers state app',
    'show info',
    'get weight app/web1',
    'add server hold/h2 127.0.0.1:80',
    'del server hold/h2',
    'set server app/web1 addr 10.0.0.1 port 80',
    'set server app/web1 fqdn example.org',
    'set server app/web1 check-port 81',
    'help',
    '',
  ])('not silent: %j', (c) => expect(isSilentCommand(c)).toBe(false));
});
