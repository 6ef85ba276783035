"use client";

import { Component, Suspense, type ErrorInfo, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * One feature's failure stays in that feature: the rest of the room keeps
 * working, and the person can try the feature again. Lazily loaded features
 * show a small placeholder while their code arrives.
 */
export class FeatureBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null }> {
  state = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`Room feature "${this.props.name}" failed`, error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return (
        <Alert tone="error" role="alert" data-testid="feature-failed" data-feature={this.props.name}>
          <p className="mb-2">“{this.props.name}” stopped working. The rest of the room is fine.</p>
          <Button variant="secondary" onClick={() => this.setState({ error: null })}>
            Try again
          </Button>
        </Alert>
      );
    }
    return (
      <Suspense fallback={<p className="p-4 text-sm text-zinc-700 dark:text-zinc-300">Loading {this.props.name}…</p>}>
        {this.props.children}
      </Suspense>
    );
  }
}
