/** Facts about this app, filled in when the repository was generated from the golden path. */
export const APP_INFO = {
  name: '${{ values.name }}',
  description: ${{ values.description | dump }},
  owner: '${{ values.owner }}',
  system: '${{ values.system }}',
} as const;
