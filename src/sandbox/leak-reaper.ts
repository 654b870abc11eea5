import type Docker from 'dockerode';

/**
 * Removes sandbox containers left behind by a crash, found by their name prefix (and label, so
 * that a container of somebody else's that merely shares the prefix is left alone).
 */
export async function removeLeftoverContainers(docker: Docker, prefix: string): Promise<number> {
  const found = await docker.listContainers({ all: true, filters: { label: ['playground.sandbox=run'] } });
  const ours = found.filter((c) => c.Names.some((n) => n.replace(/^\//, '').startsWith(prefix)));
  await Promise.all(ours.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return ours.length;
}
