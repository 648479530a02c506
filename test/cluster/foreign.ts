import type { ForeignResources } from '@nn/runtime/conformance';
import Docker from 'dockerode';

/**
 * Resources made behind the runtime's back, straight through the engine API: no ownership labels,
 * though the image's own `nn.managed-by` label is inherited by the container (which must not be
 * mistaken for ownership).
 */
export function dockerForeign(engineFor: (node: string) => Docker, image: string): ForeignResources {
  const ids = new Map<string, string>();
  return {
    async container(node, name) {
      const c = await engineFor(node).createContainer({
        name,
        Image: image,
        Labels: { 'nn.test': 'foreign' },
      });
      ids.set(`${node}/container/${name}`, c.id);
    },
    async volume(node, name) {
      await engineFor(node).createVolume({ Name: name, Labels: { 'nn.test': 'foreign' } });
      ids.set(`${node}/volume/${name}`, name);
    },
    async exists(node, kind, name) {
      try {
        if (kind === 'container') {
          const info = await engineFor(node).getContainer(name).inspect();
          return info.Id === ids.get(`${node}/container/${name}`);
        }
        await engineFor(node).getVolume(name).inspect();
        return true;
      } catch {
        return false;
      }
    },
    async remove(node, kind, name) {
      if (kind === 'container')
        await engineFor(node)
          .getContainer(name)
          // v: the devchain image declares VOLUME /data, so a plain container gets an anonymous volume.
          .remove({ force: true, v: true })
          .catch(() => undefined);
      else
        await engineFor(node)
          .getVolume(name)
          .remove()
          .catch(() => undefined);
    },
  };
}

export const localDocker = new Docker();
