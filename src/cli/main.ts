/** Entry point of the built CLI (bin/edge-install.js imports this). */
import { main } from './program.js';

const code = await main(process.argv);
if (code !== 0) process.exitCode = code;
