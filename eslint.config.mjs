// Lint: typescript-eslint recommended for every TypeScript part; generated output ignored.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.data/**',
      '.scratch/**',
      'coverage/**',
      'cloudfunctions/*/index.js',
      'miniprogram/miniprogram_npm/**',
      'preview/dist/**',
      // The console's build output; its .vue files are checked by vue-tsc (npm run typecheck).
      'console/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The mini-program ships no zod (main package ≤ 400 KB): replies are parsed by the function
    // that sends them, and the checks pages need are core's zod-free ones (core/client.ts).
    files: ['miniprogram/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              message:
                'The mini-program ships no zod: use a zod-free check from wal-core (core/client.ts); type imports are fine.',
              allowTypeImports: true,
            },
          ],
          patterns: [{ group: ['zod/*'], allowTypeImports: true }],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
