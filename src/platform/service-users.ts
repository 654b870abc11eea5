import * as fs from 'fs';

/** The unprivileged users the set-up creates (scripts/service-users.sh). */
export const FRONTEND_USER = 'playground';
export const SANDBOX_USER = 'playground-sandbox';
/** The group of Docker's socket: the sandbox service's only power. */
export const DOCKER_GROUP = 'docker';

function field(file: string, name: string, index: number): number | undefined {
  try {
    const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
    const value = line?.split(':')[index];
    return value === undefined || value === '' ? undefined : Number(value);
  } catch {
    return undefined;
  }
}

/** uid and primary gid of a user, if it exists. */
export function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const uid = field('/etc/passwd', name, 2);
  const gid = field('/etc/passwd', name, 3);
  return uid === undefined || gid === undefined ? undefined : { uid, gid };
}

export function lookupGroup(name: string): number | undefined {
  return field('/etc/group', name, 2);
}
