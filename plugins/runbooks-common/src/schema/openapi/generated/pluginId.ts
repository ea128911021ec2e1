export const pluginId = 'runbooks';
