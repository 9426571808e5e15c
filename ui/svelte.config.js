// Runes mode for our own components only; dependencies compile as they were written.
export default {
  vitePlugin: {
    dynamicCompileOptions: ({ filename }) =>
      filename.includes('/node_modules/') ? undefined : { runes: true },
  },
}
