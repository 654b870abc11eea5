import Docker from 'dockerode';

/** One Docker Engine client per process, on the local socket (DOCKER_HOST is honoured). */
export const dockerProvider = {
  provide: Docker,
  useFactory: (): Docker => new Docker(),
};
