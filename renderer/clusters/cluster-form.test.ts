import { describe, expect, it } from 'vitest';
import { emptyForm, fieldOfPath, fieldsFromServerError, parseSocket, validateClusterForm, type ClusterForm } from './cluster-form';

const good = (): ClusterForm => ({
  name: 'prod',
  backend: 'app',
  nodes: [
    { name: 'node1', host: '10.0.0.11', port: '22', user: 'root', keyFile: '', server: '' },
    { name: 'node2', host: '10.0.0.12', port: '2222', user: 'root', keyFile: '/k', server: 'n2' },
  ],
  lbs: [{ name: 'lb1', host: '10.0.0.21', port: '22', user: 'root', keyFile: '', socket: '127.0.0.1:9999' }],
});

describe('cluster form', () => {
  it('builds a spec: server defaults to the node name, key file only when given, sockets parsed', () => {
    const { spec, errors } = validateClusterForm(good());
    expect(errors).toEqual({});
    expect(spec?.nodes[0]).toEqual({ name: 'node1', ssh: { host: '10.0.0.11', port: 22, user: 'root' }, backend: 'app', server: 'node1' });
    expect(spec?.nodes[1]?.ssh).toEqual({ host: '10.0.0.12', port: 2222, user: 'root', keyFile: '/k' });
    expect(spec?.lbs[0]?.socket).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9999 });
  });

  it('names every bad field', () => {
    const f = good();
    f.name = 'bad name';
    f.backend = '';
    f.nodes[0]!.host = '';
    f.nodes[1]!.port = 'x';
    f.lbs[0]!.socket = 'nope';
    f.lbs[0]!.user = '';
    const { spec, errors } = validateClusterForm(f);
    expect(spec).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['backend', 'lbs.0.socket', 'lbs.0.user', 'name', 'nodes.0.host', 'nodes.1.port']);
  });

  it('flags a host name used twice on the second one', () => {
    const f = good();
    f.lbs[0]!.name = 'node1';
    expect(validateClusterForm(f).errors['lbs.0.name']).toMatch(/used twice/);
  });

  it('an empty form is all errors, no spec', () => {
    expect(validateClusterForm(emptyForm()).spec).toBeNull();
  });

  it('parses haproxy_socket forms', () => {
    expect(parseSocket('')).toEqual({ kind: 'unix', path: '/run/haproxy/admin.sock' });
    expect(parseSocket('ipv4@127.0.0.1:9999')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9999 });
    expect(parseSocket('relative/path')).toHaveProperty('error');
    expect(parseSocket('h:70000')).toHaveProperty('error');
  });

  it('maps schema paths to fields', () => {
    expect(fieldOfPath(['nodes', 1, 'ssh', 'host'], 2)).toBe('nodes.1.host');
    expect(fieldOfPath(['lbs', 0, 'socket', 'path'], 2)).toBe('lbs.0.socket');
    expect(fieldOfPath(['hosts', 2], 2)).toBe('lbs.0.name');
    expect(fieldOfPath(['nodes', 0, 'backend'], 2)).toBe('backend');
  });

  it('puts the core refusal back on its field', () => {
    expect(fieldsFromServerError('ALREADY_EXISTS', 'a cluster named "prod" already exists', 1).errors).toEqual({ name: 'a cluster named "prod" already exists' });
    const r = fieldsFromServerError('INVALID_ARGUMENT', 'clusters.save: cluster.nodes.0.ssh.host: must not be empty; something else', 1);
    expect(r.errors).toEqual({ 'nodes.0.host': 'must not be empty' });
    expect(r.rest).toBe('something else');
  });
});
