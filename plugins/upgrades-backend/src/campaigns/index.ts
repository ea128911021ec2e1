export { CampaignService } from './CampaignService';
export { DatabaseCampaignStore } from './DatabaseCampaignStore';
export type { CampaignStore } from './CampaignStore';
export { createCampaignsRouter } from './createCampaignsRouter';
export {
  scheduleCampaignReminders,
  sendCampaignReminders,
} from './scheduleCampaignReminders';
