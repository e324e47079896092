import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import '../../shared/styles.css'

// data:, as the Vite examples: no favicon request (and no 404 in the console)
export const metadata: Metadata = { title: 'livetopic · Next.js example', icons: { icon: 'data:,' } }

/** The root layout: the shared stylesheet of the examples, nothing else. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
