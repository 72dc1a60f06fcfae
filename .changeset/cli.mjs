// Runs the changesets CLI on Node 20 too: @changesets/cli 3's bin.js calls
// module.enableCompileCache (Node >= 22.1) whenever process.getBuiltinModule exists (Node >= 20.16).
// The CLI itself reads process.argv.slice(2), as here. `npm run changeset -- <command>`.
await import('@changesets/cli');
