import { render, screen } from '@testing-library/react'
import { useState, version } from 'react'
import { version as domVersion } from 'react-dom'
import { renderToString } from 'react-dom/server'
import { expect, it } from 'vitest'

// the `dom` project runs the React tests on React 19, `dom-react18` on React 18.3 (vitest.config.ts)
const major = process.env.REACT_MAJOR

it(`runs on React ${major}: react, react-dom and @testing-library/react share one React`, () => {
  expect(major).toMatch(/^1[89]$/)
  expect(version.startsWith(`${major}.`)).toBe(true)
  expect(domVersion).toBe(version)
  // a hook renders only if testing-library's react-dom is the same React as this file's
  function Version(): string {
    const [v] = useState(version)
    return v
  }
  render(<Version />)
  expect(screen.getByText(version)).toBeTruthy()
  expect(renderToString(<Version />)).toBe(version)
})
