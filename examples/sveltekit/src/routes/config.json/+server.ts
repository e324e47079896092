import { json } from '@sveltejs/kit'

// The shared session asks for a deployed `config.json` next to the page (the static AWS
// deployment of examples/aws). Here the server gives the page its broker address, so there is
// none: `null` says so without a 404 in the browser's console.
export const GET = (): Response => json(null)
