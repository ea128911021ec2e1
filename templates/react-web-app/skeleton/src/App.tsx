import { useEffect, useState } from 'react';
import { checkApi, HEALTH_PATH, type ApiHealth } from './api';
import { APP_INFO } from './appInfo';
import { loadConfig, type AppConfig } from './config';

export function App() {
  const [config, setConfig] = useState<AppConfig>();
  // undefined while a check is running.
  const [health, setHealth] = useState<ApiHealth>();
  // Bumped by "Check again" to re-run the health check effect.
  const [checkCount, setCheckCount] = useState(0);

  useEffect(() => {
    let active = true;
    void loadConfig().then((loaded) => {
      if (active) setConfig(loaded);
    });
    return () => {
      active = false;
    };
  }, []);

  useEffect(() => {
    if (!config) return;
    let active = true;
    void checkApi(config.apiBaseUrl).then((result) => {
      if (active) setHealth(result);
    });
    return () => {
      active = false;
    };
  }, [config, checkCount]);

  function checkAgain() {
    setHealth(undefined);
    setCheckCount((count) => count + 1);
  }

  return (
    <main className="app">
      <header>
        <h1>{APP_INFO.name}</h1>
        <p>{APP_INFO.description}</p>
      </header>

      <dl className="facts">
        <dt>Owner</dt>
        <dd>{APP_INFO.owner}</dd>
        <dt>System</dt>
        <dd>{APP_INFO.system}</dd>
        <dt>API base URL</dt>
        <dd data-testid="api-base-url">
          {config ? (
            <>
              <code>{config.apiBaseUrl}</code> <small>(from {config.source})</small>
            </>
          ) : (
            'Loading configuration…'
          )}
        </dd>
        <dt>API health</dt>
        <dd role="status" aria-live="polite">
          {describeHealth(config, health)}
        </dd>
      </dl>

      <button type="button" onClick={checkAgain} disabled={!config || !health}>
        Check again
      </button>
    </main>
  );
}

function describeHealth(config: AppConfig | undefined, health: ApiHealth | undefined): string {
  if (!config || !health) return 'Checking…';
  if (health.status === 'up') return `Up (GET ${HEALTH_PATH} answered)`;
  return `Down: ${health.reason}`;
}
