export const pluginId = 'incidents';
