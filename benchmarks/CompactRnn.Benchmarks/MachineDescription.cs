using System;
using System.IO;
using System.Linq;

namespace CompactRnn.Benchmarks;

/// <summary>What every benchmark table records about the machine: the CPU's model name, family and model (Linux).</summary>
internal static class MachineDescription
{
    /// <summary>For example <c>AMD EPYC (family 25, model 17)</c>; "unknown CPU" where /proc/cpuinfo is unreadable.</summary>
    public static string Cpu()
    {
        try
        {
            string[] lines = File.ReadAllLines("/proc/cpuinfo");
            string Field(string key) => lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            return $"{Field("model name")} (family {Field("cpu family")}, model {Field("model\t")})";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown CPU";
        }
    }
}
