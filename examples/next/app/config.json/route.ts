// join() looks for a deployed config.json next to the page (the S3 + CloudFront deployment of the
// Vite examples, examples/aws). This server passes the broker's address in the page instead, so
// it answers "no deployed config" rather than a 404 the browser would log as an error.
export const GET = (): Response => Response.json(null)
