/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API base URL used when /config.json is missing (see src/config.ts). */
  readonly VITE_API_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
