module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // @paved/test-utils' expect… helpers (expectRefused, …) assert.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*', '*.expect*'] },
    ],
  },
});
