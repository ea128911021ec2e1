import { ApiException } from '@kubernetes/client-node';
import { isMissingKind, statusOf } from './kubernetesErrors';

describe('statusOf', () => {
  it("gives a client error's HTTP status and the API server's message", () => {
    const error = new ApiException(
      404,
      'Not Found',
      JSON.stringify({ message: 'namespaces "x" not found' }),
      {},
    );
    expect(statusOf(error)).toEqual({
      code: 404,
      message: 'namespaces "x" not found',
    });
  });

  it('falls back to the status when the body has no message, and to the message of any other error', () => {
    expect(statusOf(new ApiException(500, 'x', 'not json', {}))).toEqual({
      code: 500,
      message: 'HTTP 500',
    });
    expect(statusOf(new Error('socket hang up'))).toEqual({
      message: 'socket hang up',
    });
    expect(statusOf('plain')).toEqual({ message: 'plain' });
  });
});

describe('isMissingKind', () => {
  it("recognises client-node's errors for kinds and groups the cluster does not serve", () => {
    // The messages as client-node 2.x words them (seen against kube-apiserver 1.35).
    expect(
      isMissingKind(
        new Error(
          'Unrecognized API version and kind: monitoring.coreos.com/v1 PrometheusRule',
        ),
      ),
    ).toBe(true);
    expect(
      isMissingKind(
        new Error(
          'Failed to fetch resource metadata for monitoring.coreos.com/v1/PrometheusRule: HTTP-Code: 404\nMessage: Unsuccessful HTTP Request\nBody: "404 page not found\\n"',
        ),
      ),
    ).toBe(true);
    expect(isMissingKind(new Error('HTTP-Code: 403 forbidden'))).toBe(false);
  });
});
