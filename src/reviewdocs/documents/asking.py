"""The questions the information letter lists (002 "You should also provide a list of any
questions that you intend to ask"): 000's simple questions and 001's fuller conversation."""

from __future__ import annotations

# --- the questions for the information letter (002: "a list of any questions") ----------

LIGHT_TOUCH_QUESTIONS: list[tuple[str, list[str]]] = [
    (
        "Your support plan",
        [
            "Is everything in your support plan in place as intended?",
            "Is all the support you receive working well for you?",
            "Does anything need to change about your plan or the way you are supported?",
            "Does anything need to change about the way you manage the personal budget?",
        ],
    ),
    (
        "What matters to you",
        [
            "How have you been able to work towards the outcomes in your plan?",
            "Have there been any changes to the things that are important to you to achieve, "
            "change or maintain?",
            "Do you think there needs to be any changes to the plan to work towards your outcomes?",
        ],
    ),
    ("Your needs", ["Has there been any change to your needs?"]),
    (
        "Keeping safe",
        [
            "Are the things in the support plan keeping you safe?",
            "Is there a chance that your plan could stop working well?",
        ],
    ),
]
"""000's simple questions ("Simple questions should be used to confirm")."""

FULL_QUESTIONS: list[tuple[str, list[str]]] = [
    (
        "What is working and what is not",
        [
            "Is all the support in your plan in place as intended?",
            "What works well about the support you have? Who does that for you?",
            "Is anything not working as you expected? Why do you think that is?",
            "Is the way you manage your personal budget still the best way for you?",
            "Has anything changed in your circumstances?",
            "Is everybody involved in your plan satisfied with it?",
        ],
    ),
    (
        "Your strengths",
        [
            "Tell me about a time when things were going well for you.",
            "What did you learn about your strengths at that time?",
            "What is it that you value most in your life now?",
            "What small changes would make the most difference?",
        ],
    ),
    (
        "What matters to you",
        [
            "How have you been able to work towards the outcomes in your plan?",
            "Have there been any changes to the things that are important to you to achieve, "
            "change or maintain?",
            "Do you think there needs to be any changes to the plan to support you to work "
            "towards your outcomes?",
            "Are you able to work, learn, train or take part in the activities you enjoy?",
        ],
    ),
    (
        "Your needs",
        [
            "Has there been any change to your needs?",
            "If so, what has changed, and how has it affected you and anyone you care for?",
        ],
    ),
    (
        "Keeping safe",
        [
            "Are the things in the support plan keeping you safe?",
            "Is there a chance that your plan could stop working well?",
            "Is the support you get from family, friends or others likely to carry on?",
        ],
    ),
]
"""001's fuller conversation: what is working and not working, strengths (powerful
questions and appreciative enquiry), outcomes, needs and risk."""

EASY_QUESTIONS = [
    "Is your support in place?",
    "Is your support working well?",
    "Does anything need to change?",
    "Has anything changed for you?",
    "Do you feel safe?",
    "What is important to you now?",
]
