import { ScoreWorkload } from '@paved/plugin-deployments-common';
import { checkPortName } from './names';

/** A Service port as Kubernetes takes it. */
export interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: string;
}

/** The ports of the workload's Service (`service.ports`), in the document's order. */
export function renderServicePorts(workload: ScoreWorkload): ServicePort[] {
  return Object.entries(workload.service?.ports ?? {}).map(([name, port]) => {
    checkPortName(`service.ports.${name}`, name);
    return {
      name,
      port: port.port,
      targetPort: port.targetPort ?? port.port,
      protocol: (port.protocol ?? 'TCP').toUpperCase(),
    };
  });
}
