export const pluginId = 'provisioning';
