using System.Globalization;

namespace CompactRnn.Onnx.Graphs;

/// <summary>The names of the state inputs and outputs of every one-step graph (what the streaming runner binds).</summary>
internal static class StateNames
{
    public const string Frame = "x";

    public static string Output(int layer) => string.Create(CultureInfo.InvariantCulture, $"r{layer}");

    public static string Cell(int layer) => string.Create(CultureInfo.InvariantCulture, $"c{layer}");

    public static string NextOutput(int layer) => Output(layer) + "_next";

    public static string NextCell(int layer) => Cell(layer) + "_next";
}
