import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import react from 'eslint-plugin-react'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['build/', 'public/build/', 'app/generated/', 'node_modules/', '.data/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js}'],
    plugins: { 'import-x': importX },
    // Resolves `~/…` through tsconfig paths, so that the layer zones below see real files.
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-duplicates': ['error', { 'prefer-inline': true }],
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
          pathGroups: [{ pattern: '~/**', group: 'internal' }],
          pathGroupsExcludedImportTypes: ['builtin'],
          'newlines-between': 'always',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['app/**/*.tsx'],
    plugins: { react, 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    settings: { react: { version: 'detect' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.recommended.rules,
      'react/prop-types': 'off',
      // Forms focus their first field on pages whose only purpose is that form.
      'jsx-a11y/no-autofocus': 'off',
    },
  },
  {
    // App code never depends on tests.
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['vitest', 'fast-check', '**/tests/**'] }],
    },
  },
  {
    // The layers: routes → server (guards, HTTP) → models → utils → domain, and app → search.
    // Each zone names a folder and what it may not reach; a wrong arrow fails `npm run lint`.
    files: ['**/*.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './app/domain',
              from: ['./app', './seeds', './search', './tests'],
              except: ['./domain', './generated/prisma/enums.ts'],
              message: 'app/domain is pure: rules and reference data only.',
            },
            {
              target: './search',
              from: ['./app', './seeds', './tests'],
              except: ['./domain'],
              message: 'search/ knows nothing of the app but its pure domain code.',
            },
            {
              target: './app/utils',
              from: [
                './app/models',
                './app/server',
                './app/realtime',
                './app/routes',
                './app/components',
                './seeds',
              ],
              message: 'app/utils is plumbing and imports no model, realtime or page code.',
            },
            {
              target: './app/validation',
              from: [
                './app/models',
                './app/server',
                './app/realtime',
                './app/routes',
                './app/components',
                './app/utils/db.server.ts',
              ],
              message: 'Schemas are shared by forms, API and importer; they touch no database.',
            },
            {
              target: './app/models',
              from: ['./app/server', './app/realtime', './app/routes', './app/components'],
              except: ['./events.ts'],
              message:
                'Models record events in their transaction; app/realtime delivers them after commit.',
            },
            {
              target: './app/realtime',
              from: ['./app/server', './app/routes', './app/components'],
              message: 'Realtime is below the request layer.',
            },
            {
              target: './app/components',
              from: [
                './app/models',
                './app/server',
                './app/utils/db.server.ts',
                './app/generated/prisma/client.ts',
              ],
              message: 'Components render data; loaders fetch it.',
            },
            {
              target: './app/routes',
              from: ['./app/utils/db.server.ts', './app/generated/prisma/client.ts'],
              message: 'Routes call models, not Prisma.',
            },
            {
              target: './seeds',
              from: ['./app/routes', './app/components', './app/server', './app/realtime'],
              message: 'Seeds build data through models and domain code.',
            },
          ],
        },
      ],
    },
  },
)
