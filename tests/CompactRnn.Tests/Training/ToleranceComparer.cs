using System;
using System.Collections.Generic;

namespace CompactRnn.Tests.Training;

/// <summary>Equality within an absolute tolerance, for comparing float arrays with Assert.Equal.</summary>
internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs((double)x - y) <= tolerance;

    public int GetHashCode(float obj) => 0;
}
