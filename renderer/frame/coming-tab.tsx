import type { ReactNode } from 'react';

/** A tab whose feature is not built yet: says plainly what will come, instead of a broken page. */
export function ComingTab({ title, children, testid }: { title: string; children: ReactNode; testid: string }) {
  return (
    <section className="coming" data-testid={testid}>
      <h2>{title}</h2>
      <div className="coming-note">Not available yet in this version.</div>
      {children}
    </section>
  );
}
