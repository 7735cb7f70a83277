// The lint of the package's JavaScript (js/) and the demo console (www/), run by the js-style tier
// (scripts/test.d/65-js-style) after prettier's format check: ESLint's recommended rules, with
// the globals of the runtimes the code runs in (browsers, Workers and Node).
import js from "@eslint/js";
import globals from "globals";

export default [
  // the entries are templates: scripts/lib/assemble-package.mjs fills their __*_EXPORTS__ in
  { ignores: ["www/pkg/**", "www/vendor/**", "js/entry.node-require.js", "js/entry.web.js"] },
  js.configs.recommended,
  {
    files: ["js/**/*.js", "www/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.node },
    },
  },
];
