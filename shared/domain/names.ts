import { z } from 'zod';

// HAProxy proxy and server names: letters, digits, '-', '_', '.', ':' (cfgparse's invalid_char()).
// Anything else could never match a configured server, and ';' or spaces would split a runtime command.
export const haproxyNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(127)
  .regex(/^[A-Za-z0-9_.:-]+$/, "may only contain letters, digits, '-', '_', '.', ':'");

// Cluster names become file names in the data directory.
export const clusterNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must start with a letter or digit and contain only letters, digits, '.', '_', '-'");

// Inventory host names (Ansible's inventory_hostname): no whitespace, no shell or glob metacharacters.
export const hostNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(253)
  .regex(/^[A-Za-z0-9_.:@\[\]-]+$/, 'contains characters not allowed in a host name');
