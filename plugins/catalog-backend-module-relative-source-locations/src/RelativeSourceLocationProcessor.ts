import { Entity, ANNOTATION_SOURCE_LOCATION } from '@backstage/catalog-model';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import path from 'node:path';

/**
 * Resolves a relative `file:` source location against the file the entity was read
 * from.
 *
 * Backstage resolves a relative `file:` target against the backend's working
 * directory, which differs between `yarn start` (packages/backend) and the Docker
 * image (/app). Written relative to the entity's own file (`file:./catalog-info.yaml`),
 * the same catalog-info.yaml works in both, and TechDocs finds `dir:.` docs beside it.
 */
export class RelativeSourceLocationProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'RelativeSourceLocationProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    const sourceLocation =
      entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
    const relative = relativeFileTarget(sourceLocation);
    if (location.type !== 'file' || relative === undefined) {
      return entity;
    }
    const resolved = path.resolve(path.dirname(location.target), relative);
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATION_SOURCE_LOCATION]: `file:${resolved}`,
        },
      },
    };
  }
}

/** The path of a `file:./…` or `file:../…` reference; undefined for anything else. */
function relativeFileTarget(reference: string | undefined): string | undefined {
  const match = /^file:(\.\.?\/.*)$/.exec(reference ?? '');
  return match?.[1];
}
