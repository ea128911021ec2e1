import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { ActorName } from './ActorName';
import { TextWithActorNames } from './TextWithActorNames';
import { actorEntityRef } from './actorEntityRef';

/** The names the catalog knows, as the app's entity presentation API gives them. */
const NAMES: Record<string, string> = {
  'user:default/alice': 'Alice Nakamura',
  'group:default/platform-team': 'Platform Team',
};
const presentation = {
  forEntity: (entityRef: string) => {
    const snapshot = {
      entityRef,
      primaryTitle: NAMES[entityRef] ?? entityRef,
    };
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

const render = (element: JSX.Element) =>
  renderInTestApp(element, {
    apis: [[entityPresentationApiRef, presentation]],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('actorEntityRef', () => {
  it('names the people and teams of the catalog, and nothing else', () => {
    expect(actorEntityRef('user:default/alice')).toBe('user:default/alice');
    expect(actorEntityRef('User:default/Alice')).toBe('user:default/alice');
    expect(actorEntityRef('group:platform-team')).toBe(
      'group:default/platform-team',
    );
    expect(actorEntityRef('external:ci')).toBeUndefined();
    expect(actorEntityRef('worker:w1')).toBeUndefined();
    expect(actorEntityRef('system:expiry')).toBeUndefined();
    expect(actorEntityRef('anonymous')).toBeUndefined();
  });
});

describe('ActorName', () => {
  it('shows a person by name, linked to their catalog page', async () => {
    await render(<ActorName actor="user:default/alice" />);
    expect(
      await screen.findByRole('link', { name: 'Alice Nakamura' }),
    ).toHaveAttribute('href', '/catalog/default/user/alice');
    expect(screen.queryByText(/user:default/)).not.toBeInTheDocument();
  });

  it('shows an actor that is not in the catalog as recorded, without a link', async () => {
    await render(<ActorName actor="external:ci" />);
    expect(await screen.findByText('external:ci')).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });
});

describe('TextWithActorNames', () => {
  it("shows the people and teams a backend's message names by their names", async () => {
    const { container } = await render(
      <p>
        <TextWithActorNames text="user:default/alice asked group:default/platform-team, then worker:w1 ran it; thanks user:default/alice." />
      </p>,
    );
    expect(
      await screen.findAllByRole('link', { name: 'Alice Nakamura' }),
    ).toHaveLength(2);
    expect(screen.getByRole('link', { name: 'Platform Team' })).toHaveAttribute(
      'href',
      '/catalog/default/group/platform-team',
    );
    expect(container.querySelector('p')).toHaveTextContent(
      'Alice Nakamura asked Platform Team, then worker:w1 ran it; thanks Alice Nakamura.',
    );
  });
});
