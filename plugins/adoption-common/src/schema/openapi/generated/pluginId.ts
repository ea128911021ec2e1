export const pluginId = 'adoption';
