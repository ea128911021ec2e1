/**
 * Expects a request's Secret, as read from the cluster, to be the one the request
 * recorded (`uid`) and to lead back to it as every resource type's Secret does: made
 * by Paved, labelled with the request's id and type, annotated with its catalog
 * entity, its owner, the component that uses it (`backstage.io/kubernetes-id`) and
 * the type's own `annotations`.
 */
export function expectRequestSecret(
  secret: { metadata?: object },
  expected: {
    uid: unknown;
    requestId: string;
    resourceType: string;
    /** The request's name. */
    name: string;
    owner: string;
    /** The component's name. */
    component: string;
    annotations?: Record<string, string>;
  },
) {
  expect(secret.metadata).toMatchObject({
    uid: expected.uid,
    labels: {
      'app.kubernetes.io/managed-by': 'paved',
      'paved.dev/request-id': expected.requestId,
      'paved.dev/resource-type': expected.resourceType,
    },
    annotations: {
      'paved.dev/entity-ref': `resource:default/${expected.name}`,
      'paved.dev/owner': expected.owner,
      'backstage.io/kubernetes-id': expected.component,
      ...expected.annotations,
    },
  });
}
