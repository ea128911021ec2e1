import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { adoptionApiRef } from '../api';
import { fakeAdoptionApi } from '../__testUtils__/fakeAdoptionApi';
import { SurveyPrompt } from './SurveyPrompt';
import { SESSION_START_KEY } from './surveyTiming';

const due = () =>
  jest.fn(async () => ({
    show: true,
    lastResponseAt: null,
    lastDismissalAt: null,
    nextSurveyAt: null,
  }));

// Typing in the comment field is slow when the machine is busy.
jest.setTimeout(30_000);

const renderSurvey = (api: ReturnType<typeof fakeAdoptionApi>) =>
  renderInTestApp(<SurveyPrompt />, { apis: [[adoptionApiRef, api]] });

describe('SurveyPrompt', () => {
  // A visit that started long enough ago for the survey to be offered.
  beforeEach(() => sessionStorage.setItem(SESSION_START_KEY, '1'));
  afterEach(() => sessionStorage.clear());

  it('is not offered in the first minutes of a visit', async () => {
    sessionStorage.setItem(SESSION_START_KEY, String(Date.now()));
    const api = fakeAdoptionApi(undefined, { getSurveyStatus: due() });
    renderSurvey(api);
    await waitFor(() => expect(api.getSurveyStatus).toHaveBeenCalled());
    expect(
      screen.queryByRole('complementary', { name: 'Portal survey' }),
    ).not.toBeInTheDocument();
  });

  it('sends the score and the comment', async () => {
    const api = fakeAdoptionApi(undefined, { getSurveyStatus: due() });
    renderSurvey(api);

    const survey = await screen.findByRole('complementary', {
      name: 'Portal survey',
    });
    expect(survey).toHaveTextContent(
      'How likely are you to recommend the portal to a colleague?',
    );
    const submit = screen.getByRole('button', { name: 'Submit' });
    expect(submit).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Score 9' }));
    expect(screen.getByRole('button', { name: 'Score 9' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await userEvent.type(
      screen.getByRole('textbox', {
        name: 'What would make the portal better? (optional)',
      }),
      'Faster builds ',
    );
    await userEvent.click(submit);

    expect(api.respondToSurvey).toHaveBeenCalledWith({
      score: 9,
      comment: 'Faster builds',
    });
    expect(await screen.findByRole('status')).toHaveTextContent('Thank you!');
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(
      screen.queryByRole('complementary', { name: 'Portal survey' }),
    ).not.toBeInTheDocument();
  });

  it('records "Not now" as a dismissal and goes away', async () => {
    const api = fakeAdoptionApi(undefined, { getSurveyStatus: due() });
    renderSurvey(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Not now' }),
    );
    expect(api.dismissSurvey).toHaveBeenCalledTimes(1);
    expect(api.respondToSurvey).not.toHaveBeenCalled();
    expect(
      screen.queryByRole('complementary', { name: 'Portal survey' }),
    ).not.toBeInTheDocument();
  });

  it("shows nothing when it is not the person's turn", async () => {
    const api = fakeAdoptionApi();
    renderSurvey(api);
    await waitFor(() => expect(api.getSurveyStatus).toHaveBeenCalled());
    expect(
      screen.queryByRole('button', { name: 'Score 0' }),
    ).not.toBeInTheDocument();
  });
});
